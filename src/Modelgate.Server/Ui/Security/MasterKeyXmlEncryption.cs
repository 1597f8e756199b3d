using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Modelgate.Core.Secrets;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// Encrypts each Data Protection key with Modelgate's master key before it is stored, so a copy of the database
/// alone cannot forge an admin session (the same rule as for provider keys).
/// </summary>
internal sealed class MasterKeyXmlEncryptor(SecretProtector protector) : IXmlEncryptor
{
    internal static readonly SecretContext Context = new("data_protection_keys", "xml", "key-ring");

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement("encryptedKey",
                new XComment(" Encrypted with Modelgate's master key. "),
                new XElement("value", protector.Protect(plaintextElement.ToString(SaveOptions.DisableFormatting), Context))),
            typeof(MasterKeyXmlDecryptor));
}

/// <summary>The reverse of <see cref="MasterKeyXmlEncryptor"/>; Data Protection creates it by type name from the stored XML.</summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(services.GetRequiredService<SecretProtector>().Unprotect((string?)encryptedElement.Element("value") ?? "", MasterKeyXmlEncryptor.Context));
}

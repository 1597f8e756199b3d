using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;
using Modelgate.Core.Secrets;
using Modelgate.Storage;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// Encrypts each Data Protection key with Modelgate's master key before it is stored, so a copy of the database
/// alone cannot forge an admin session (the same rule as for provider keys).
/// </summary>
internal sealed class MasterKeyXmlEncryptor(SecretProtector protector) : IXmlEncryptor
{

    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(new XElement(DataProtectionKeyStore.EncryptedElement,
                new XComment(" Encrypted with Modelgate's master key. "),
                new XElement("value", protector.Protect(plaintextElement.ToString(SaveOptions.DisableFormatting), SecretContext.DataProtectionKeyRing))),
            typeof(MasterKeyXmlDecryptor));
}

/// <summary>
/// The reverse of <see cref="MasterKeyXmlEncryptor"/>. Data Protection creates it by the type name written in the
/// stored XML: renaming or moving this class makes the stored keys unreadable (everyone then signs in again).
/// </summary>
internal sealed class MasterKeyXmlDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement) =>
        XElement.Parse(services.GetRequiredService<SecretProtector>().Unprotect((string?)encryptedElement.Element("value") ?? "", SecretContext.DataProtectionKeyRing));
}

using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Modelgate.Storage;

namespace Modelgate.Server.Ui.Security;

/// <summary>
/// Keeps the Data Protection key ring (what signs admin sessions and CSRF tokens) in the database, so every
/// instance accepts a session another one issued and a restart does not sign everybody out.
/// </summary>
internal sealed class DatabaseXmlRepository(DataProtectionKeyStore store) : IXmlRepository
{
    public IReadOnlyCollection<XElement> GetAllElements() => [.. store.All().Select(XElement.Parse)];

    public void StoreElement(XElement element, string friendlyName) => store.Add(friendlyName, element.ToString(SaveOptions.DisableFormatting));
}

namespace Modelgate.Server.Ui;

/// <summary>The console's sections, in the order the navigation shows them.</summary>
internal static class UiNavigation
{
    public static readonly (string Name, string Href)[] Sections =
    [
        ("Overview", "/"),
        ("Providers", "/providers"),
        ("Models", "/models"),
        ("Defaults", "/defaults"),
        ("Aliases", "/aliases"),
        ("Experiments", "/experiments"),
        ("Keys", "/keys"),
        ("Usage", "/usage"),
        ("History", "/history"),
        ("Audit log", "/audit"),
        ("Instances", "/instances"),
    ];
}

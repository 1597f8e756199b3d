using Modelgate.Core.Catalog;
using Modelgate.Server.Ui.Pages;

namespace Modelgate.Server.Ui;

/// <summary>
/// What a form's limits show (<c>Shared/_LimitFields</c>): a text box per limit under its API field name, and a tick
/// box per limit the holder may put in shadow mode. The page gives its own errors, so each shows by its field.
/// </summary>
internal sealed record LimitFields(ConsolePage Page, IReadOnlyList<(string Field, string? Value)> Limits, LimitKinds Shadowable, IReadOnlyCollection<string> Shadow);

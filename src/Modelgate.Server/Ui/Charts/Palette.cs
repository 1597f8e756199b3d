namespace Modelgate.Server.Ui.Charts;

/// <summary>Colours for chart series (Okabe–Ito, readable with colour-blindness); series past the last one share grey.</summary>
internal static class Palette
{
    public static readonly string[] Colors = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#8C6D31", "#332288"];

    public const string Other = "#9AA3AE";

    public static string At(int index) => index < Colors.Length ? Colors[index] : Other;
}

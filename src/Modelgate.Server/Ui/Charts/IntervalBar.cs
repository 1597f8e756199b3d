namespace Modelgate.Server.Ui.Charts;

/// <summary>
/// A confidence interval drawn as a small SVG bar on an axis centred on zero (<c>Shared/_IntervalBar</c>): the interval
/// as a band, the estimate as a dot, zero as a tick; an unbounded end runs to the edge. <see cref="Label"/> says the
/// same in words, for screen readers and for the text beside it.
/// </summary>
internal sealed record IntervalBar(double? Estimate, double? Lower, double? Upper, string Tone, string Label)
{
    public const double Width = 200, Height = 22, Pad = 6;

    public const double Middle = Width / 2;

    /// <summary>Half the axis: the largest bound or estimate away from zero, with some room.</summary>
    private double Scale
    {
        get
        {
            var largest = new[] { Estimate, Lower, Upper }.OfType<double>().Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max();
            return largest > 0 ? largest * 1.15 : 1;
        }
    }

    public double X(double? value, double unbounded) =>
        value is { } v && double.IsFinite(v) ? Math.Clamp(Middle + v / Scale * (Middle - Pad), Pad, Width - Pad) : unbounded;

    public double From => X(Lower, Pad);

    public double To => X(Upper, Width - Pad);

    public bool HasEstimate => Estimate is { } e && double.IsFinite(e);
}

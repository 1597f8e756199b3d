namespace Modelgate.Core.Tests.Experiments.Statistics;

/// <summary>Seeded draws for the simulations (independent of the module under test).</summary>
internal static class Draw
{
    /// <summary>A standard normal draw (Box–Muller).</summary>
    public static double Normal(Random random) =>
        Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());

    /// <summary>1 with probability <paramref name="rate"/>, else 0.</summary>
    public static double Bernoulli(Random random, double rate) => random.NextDouble() < rate ? 1 : 0;

    /// <summary>A log-normal draw: exp(<paramref name="mu"/> + <paramref name="sigma"/> × a standard normal).</summary>
    public static double LogNormal(Random random, double mu, double sigma) => Math.Exp(mu + sigma * Normal(random));
}

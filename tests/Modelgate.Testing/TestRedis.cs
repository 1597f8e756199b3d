namespace Modelgate.Testing;

/// <summary>
/// The Redis that test.sh started (MODELGATE_TEST_REDIS, host:port). Redis tests never skip: without it they fail
/// saying how to run them. Tests share it, so each uses counters of its own (catalog ids are new GUIDs).
/// </summary>
public static class TestRedis
{
    public const string Variable = "MODELGATE_TEST_REDIS";

    public static string Configuration => Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } redis
        ? redis
        : throw new InvalidOperationException($"{Variable} is not set: run the tests with ./test.sh, which starts a throwaway Redis on loopback.");
}

namespace Modelgate.Core.Limits;

/// <summary>
/// Where limits are counted: in this process (<see cref="InProcessLimitCounters"/>) or shared by a fleet (Redis). Both
/// decide the same way: a take checks every counter a call touches and takes from all of them or from none, in one
/// atomic step, on one clock.
/// </summary>
public interface ILimitCounters
{
    /// <summary>
    /// Takes every amount if each counter has room for it (a take of 0 asks for any room at all); otherwise takes
    /// nothing and says which counter refused. Places among the requests in flight are held under <paramref name="lease"/>.
    /// </summary>
    ValueTask<LimitVerdict> TakeAsync(IReadOnlyList<LimitTake> takes, string lease, CancellationToken cancellationToken);

    /// <summary>
    /// Replaces reservations by what a call used (tokens in the minute segment it was taken in, spend in its period) and
    /// gives back its places among the requests in flight.
    /// </summary>
    ValueTask SettleAsync(IReadOnlyList<LimitSettlement> settlements, long segment, string lease);
}

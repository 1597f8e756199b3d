namespace Modelgate.Core.Pipeline;

/// <summary>
/// Why a virtual key may not make a call: the HTTP status and error code the gateway answers with, a message for
/// people, the request field at fault, and when to try again. Direct mode throws it as an exception
/// (<see cref="KeyAdmission"/>).
/// </summary>
public sealed record KeyRefusal(int Status, string Code, string Message, string? Param = null, TimeSpan? RetryAfter = null);

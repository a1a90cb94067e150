namespace Asya.Gateway.Tasks;

/// <summary>
/// The store's or hub's database cannot be reached (down, restarting, network): the call did nothing that can be
/// relied on, and may be tried again later (the API answers 503). Other failures propagate as they are.
/// </summary>
public sealed class TaskStoreUnavailableException(string message, Exception innerException) : Exception(message, innerException);

namespace Asya.ExternalScaler.Configuration;

/// <summary>A flag, variable or file the scaler cannot start with; the message names it.</summary>
internal sealed class ScalerConfigurationException(string message) : Exception(message);

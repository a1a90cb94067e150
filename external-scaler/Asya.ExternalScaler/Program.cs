using Asya.ExternalScaler.Hosting;

return await ScalerProgram.RunAsync(args, Environment.GetEnvironmentVariables());

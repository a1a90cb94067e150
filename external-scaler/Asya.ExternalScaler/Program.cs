using Asya.ExternalScaler.Hosting;
using Asya.Hosting;

return await ScalerProgram.RunAsync(args, ProcessEnvironment.Read());

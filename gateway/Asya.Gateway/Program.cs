using Asya.Gateway.Hosting;
using Asya.Hosting;

return await GatewayProgram.RunAsync(args, ProcessEnvironment.Read());

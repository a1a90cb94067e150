using Asya.Sidecar;

return await SidecarProgram.RunAsync(args, CancellationToken.None);

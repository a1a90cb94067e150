using Asya.Bench.Scaler;

return await ScalerBench.RunAsync(args);

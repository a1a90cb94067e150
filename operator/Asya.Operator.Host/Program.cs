return await Asya.Operator.OperatorHost.RunAsync(args, CancellationToken.None);

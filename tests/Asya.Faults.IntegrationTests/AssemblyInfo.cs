// Scenarios run one after another: each loads both cores with sidecars, runtimes and a broker, and a kill point
// chosen under a neighbour's load would say nothing about the scenario itself.
[assembly: CollectionBehavior(DisableTestParallelization = true)]

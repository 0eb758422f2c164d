using GridMap.Cli;

// `gridmap COMMAND ...`: JSON goes to stdout, progress and logs to stderr.
return await CommandLine.RunAsync(args);

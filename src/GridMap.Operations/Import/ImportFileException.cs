namespace GridMap.Operations.Import;

/// A file a user asked to import that cannot be imported as it is: missing, malformed, or with a feature
/// the layer refuses. The message names the file and, where there is one, the feature and field.
/// Nothing was written when this is thrown.
public sealed class ImportFileException(string message) : Exception(message);

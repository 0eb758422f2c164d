namespace GridMap.Osm;

/// An OpenStreetMap file that cannot be read: missing, not OSM, or a .pbf without osmium to read it.
/// The message names the file and says what to do; the command line prints it and exits 2.
public sealed class OsmInputException(string message) : Exception(message);

using NetTopologySuite.Geometries;

namespace GridMap.Routing;

/// <summary>
/// Pointy-top hexagonal cells of a given width (flat side to flat side, metres) covering an extent: the
/// heatmap's cells. Cell i is row i / Columns, column i % Columns; odd rows shift half a cell east.
/// </summary>
/// <remarks>Immutable and thread-safe.</remarks>
public sealed class HexGrid
{
    private readonly double _width;
    private readonly double _radius;
    private readonly double _rowStep;
    private readonly double _originX;
    private readonly double _originY;

    /// <summary>Cells of <paramref name="widthMeters"/> over <paramref name="extent"/> (metres).</summary>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="widthMeters"/> is not positive, or the grid would exceed 4 million cells.</exception>
    public HexGrid(Envelope extent, double widthMeters)
    {
        ArgumentNullException.ThrowIfNull(extent);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(widthMeters);
        _width = widthMeters;
        _radius = widthMeters / Math.Sqrt(3);
        _rowStep = 1.5 * _radius;
        _originX = extent.MinX;
        _originY = extent.MinY;
        Columns = (int)Math.Ceiling(extent.Width / _width) + 2;
        Rows = (int)Math.Ceiling(extent.Height / _rowStep) + 2;
        if ((long)Columns * Rows > 4_000_000)
            throw new ArgumentOutOfRangeException(nameof(widthMeters), widthMeters, "Cells too small for this extent (over 4 million).");
    }

    /// <summary>Cells per row.</summary>
    public int Columns { get; }

    /// <summary>Rows of cells.</summary>
    public int Rows { get; }

    /// <summary>Number of cells.</summary>
    public int Count => Columns * Rows;

    /// <summary>Centre of cell <paramref name="cell"/>.</summary>
    public Coordinate Centre(int cell)
    {
        var row = cell / Columns;
        var column = cell % Columns;
        return new Coordinate(_originX + column * _width + (row % 2 == 1 ? _width / 2 : 0), _originY + row * _rowStep);
    }

    /// <summary>The cell whose hexagon holds <paramref name="point"/> (the nearest centre), or -1 outside the grid.</summary>
    public int CellOf(Coordinate point)
    {
        var approxRow = (int)Math.Round((point.Y - _originY) / _rowStep);
        var best = -1;
        var bestDistance = double.PositiveInfinity;
        for (var row = approxRow - 1; row <= approxRow + 1; row++)
        {
            if (row < 0 || row >= Rows)
                continue;
            var shift = row % 2 == 1 ? _width / 2 : 0;
            var approxColumn = (int)Math.Round((point.X - _originX - shift) / _width);
            for (var column = approxColumn - 1; column <= approxColumn + 1; column++)
            {
                if (column < 0 || column >= Columns)
                    continue;
                var cell = row * Columns + column;
                var distance = Centre(cell).Distance(point);
                if (distance < bestDistance)
                {
                    bestDistance = distance;
                    best = cell;
                }
            }
        }
        return best;
    }

    /// <summary>The hexagon of cell <paramref name="cell"/>.</summary>
    public Polygon Polygon(int cell, GeometryFactory factory)
    {
        ArgumentNullException.ThrowIfNull(factory);
        var centre = Centre(cell);
        var ring = new Coordinate[7];
        for (var i = 0; i < 6; i++)
        {
            var angle = Math.PI / 6 + i * Math.PI / 3;
            ring[i] = new Coordinate(centre.X + _radius * Math.Cos(angle), centre.Y + _radius * Math.Sin(angle));
        }
        ring[6] = ring[0].Copy();
        return factory.CreatePolygon(ring);
    }
}

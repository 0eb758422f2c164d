namespace GridMap.Data;

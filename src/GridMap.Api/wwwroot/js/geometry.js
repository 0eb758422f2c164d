// Small GeoJSON helpers (no library): bounding boxes and centres.
export function bbox(geometry) {
  const box = [Infinity, Infinity, -Infinity, -Infinity];
  const visit = (c) => {
    if (typeof c[0] === 'number') {
      box[0] = Math.min(box[0], c[0]); box[1] = Math.min(box[1], c[1]);
      box[2] = Math.max(box[2], c[0]); box[3] = Math.max(box[3], c[1]);
    } else c.forEach(visit);
  };
  if (geometry.type === 'GeometryCollection') geometry.geometries.forEach((g) => visit(g.coordinates));
  else visit(geometry.coordinates);
  return box;
}

export function center(geometry) {
  const [a, b, c, d] = bbox(geometry);
  return [(a + c) / 2, (b + d) / 2];
}

export const emptyCollection = () => ({ type: 'FeatureCollection', features: [] });

export function featureCollection(features) { return { type: 'FeatureCollection', features }; }

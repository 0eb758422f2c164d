using System.Text;

namespace GridMap.Api.Features;

/// The OpenAPI 3.0 definition linked from the landing page as service-desc. Written by hand because
/// Microsoft.AspNetCore.OpenApi's dependencies are not in this project's package registry, and
/// because the OGC paths are generic over collections.
public static class OpenApiDocument
{
    public static byte[] Build(string baseUrl)
    {
        var collections = string.Join(", ", GridMap.Data.Layers.All.Select(l => $"\"{l.Id}\""));
        var json = Template
            .Replace("{{baseUrl}}", baseUrl, StringComparison.Ordinal)
            .Replace("{{collections}}", collections, StringComparison.Ordinal)
            .Replace("{{collectionNames}}", string.Join(", ", GridMap.Data.Layers.All.Select(l => l.Id)), StringComparison.Ordinal)
            .Replace("{{maxLimit}}", FeatureRequest.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{{defaultLimit}}", FeatureRequest.DefaultLimit.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
        return Encoding.UTF8.GetBytes(json);
    }

    private const string Template = """
        {
          "openapi": "3.0.3",
          "info": { "title": "GridMap", "version": "1.0",
            "description": "OGC API – Features for urban grid management: {{collectionNames}}. Writes need an API key of role planner or admin (Authorization: Bearer KEY or X-Api-Key)." },
          "servers": [ { "url": "{{baseUrl}}" } ],
          "components": {
            "securitySchemes": {
              "bearer": { "type": "http", "scheme": "bearer" },
              "apiKey": { "type": "apiKey", "in": "header", "name": "X-Api-Key" }
            },
            "parameters": {
              "collectionId": { "name": "collectionId", "in": "path", "required": true, "schema": { "type": "string", "enum": [ {{collections}} ] } },
              "featureId": { "name": "featureId", "in": "path", "required": true, "schema": { "type": "integer" } },
              "limit": { "name": "limit", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": {{maxLimit}}, "default": {{defaultLimit}} } },
              "offset": { "name": "offset", "in": "query", "schema": { "type": "integer", "minimum": 0, "default": 0 } },
              "bbox": { "name": "bbox", "in": "query", "style": "form", "explode": false, "schema": { "type": "array", "minItems": 4, "maxItems": 6, "items": { "type": "number" } } },
              "bbox-crs": { "name": "bbox-crs", "in": "query", "schema": { "type": "string", "format": "uri" } },
              "crs": { "name": "crs", "in": "query", "schema": { "type": "string", "format": "uri" } },
              "coords": { "name": "coords", "in": "query", "description": "Coordinate system of the body: wgs84, cgcs2000, gcj02 (AMap, Tencent) or bd09 (Baidu).", "schema": { "type": "string", "enum": ["wgs84", "cgcs2000", "gcj02", "bd09"] } },
              "ifMatch": { "name": "If-Match", "in": "header", "required": true, "schema": { "type": "string" } }
            },
            "responses": {
              "Problem": { "description": "A problem, naming the field at fault", "content": { "application/problem+json": { "schema": { "type": "object" } } } },
              "Feature": { "description": "A feature", "headers": { "ETag": { "schema": { "type": "string" } } }, "content": { "application/geo+json": { "schema": { "type": "object" } } } }
            }
          },
          "paths": {
            "/": { "get": { "summary": "Landing page", "responses": { "200": { "description": "Links", "content": { "application/json": {} } } } } },
            "/conformance": { "get": { "summary": "Conformance classes", "responses": { "200": { "description": "conformsTo", "content": { "application/json": {} } } } } },
            "/collections": { "get": { "summary": "Collections", "responses": { "200": { "description": "The collections", "content": { "application/json": {} } } } } },
            "/collections/{collectionId}": { "get": { "summary": "One collection", "parameters": [ { "$ref": "#/components/parameters/collectionId" } ],
              "responses": { "200": { "description": "The collection", "content": { "application/json": {} } }, "404": { "$ref": "#/components/responses/Problem" } } } },
            "/collections/{collectionId}/items": {
              "get": { "summary": "Features; other query parameters filter on properties by equality",
                "parameters": [ { "$ref": "#/components/parameters/collectionId" }, { "$ref": "#/components/parameters/limit" }, { "$ref": "#/components/parameters/offset" },
                  { "$ref": "#/components/parameters/bbox" }, { "$ref": "#/components/parameters/bbox-crs" }, { "$ref": "#/components/parameters/crs" } ],
                "responses": { "200": { "description": "A FeatureCollection", "content": { "application/geo+json": {} } }, "400": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" } } },
              "post": { "summary": "Create a feature", "security": [ { "bearer": [] }, { "apiKey": [] } ],
                "parameters": [ { "$ref": "#/components/parameters/collectionId" }, { "$ref": "#/components/parameters/coords" } ],
                "requestBody": { "required": true, "content": { "application/geo+json": { "schema": { "type": "object" } } } },
                "responses": { "201": { "$ref": "#/components/responses/Feature" }, "400": { "$ref": "#/components/responses/Problem" }, "401": { "$ref": "#/components/responses/Problem" }, "403": { "$ref": "#/components/responses/Problem" }, "413": { "$ref": "#/components/responses/Problem" } } }
            },
            "/collections/{collectionId}/items/{featureId}": {
              "get": { "summary": "One feature", "parameters": [ { "$ref": "#/components/parameters/collectionId" }, { "$ref": "#/components/parameters/featureId" }, { "$ref": "#/components/parameters/crs" } ],
                "responses": { "200": { "$ref": "#/components/responses/Feature" }, "404": { "$ref": "#/components/responses/Problem" } } },
              "put": { "summary": "Replace a feature", "security": [ { "bearer": [] }, { "apiKey": [] } ],
                "parameters": [ { "$ref": "#/components/parameters/collectionId" }, { "$ref": "#/components/parameters/featureId" }, { "$ref": "#/components/parameters/ifMatch" }, { "$ref": "#/components/parameters/coords" } ],
                "requestBody": { "required": true, "content": { "application/geo+json": { "schema": { "type": "object" } } } },
                "responses": { "200": { "$ref": "#/components/responses/Feature" }, "400": { "$ref": "#/components/responses/Problem" }, "412": { "$ref": "#/components/responses/Problem" }, "428": { "$ref": "#/components/responses/Problem" } } },
              "patch": { "summary": "Update some properties or the geometry", "security": [ { "bearer": [] }, { "apiKey": [] } ],
                "parameters": [ { "$ref": "#/components/parameters/collectionId" }, { "$ref": "#/components/parameters/featureId" }, { "$ref": "#/components/parameters/ifMatch" }, { "$ref": "#/components/parameters/coords" } ],
                "requestBody": { "required": true, "content": { "application/merge-patch+json": { "schema": { "type": "object" } } } },
                "responses": { "200": { "$ref": "#/components/responses/Feature" }, "400": { "$ref": "#/components/responses/Problem" }, "412": { "$ref": "#/components/responses/Problem" }, "428": { "$ref": "#/components/responses/Problem" } } },
              "delete": { "summary": "Delete a feature", "security": [ { "bearer": [] }, { "apiKey": [] } ],
                "parameters": [ { "$ref": "#/components/parameters/collectionId" }, { "$ref": "#/components/parameters/featureId" }, { "$ref": "#/components/parameters/ifMatch" } ],
                "responses": { "204": { "description": "Deleted" }, "412": { "$ref": "#/components/responses/Problem" }, "428": { "$ref": "#/components/responses/Problem" } } }
            },
            "/health/live": { "get": { "summary": "The process answers", "responses": { "200": { "description": "live" } } } },
            "/health/ready": { "get": { "summary": "The database answers", "responses": { "200": { "description": "ready" }, "503": { "description": "database unavailable" } } } },
            "/coverage": { "get": { "summary": "Households within each walk of a station, per city, street, community and grid; compounds left outside",
              "parameters": [ { "name": "minutes", "in": "query", "schema": { "type": "string", "default": "5,10,15" } }, { "name": "speed", "in": "query", "description": "m/s", "schema": { "type": "number", "default": 1.11, "maximum": 3 } } ],
              "responses": { "200": { "description": "Coverage", "content": { "application/json": {} } }, "400": { "$ref": "#/components/responses/Problem" }, "422": { "$ref": "#/components/responses/Problem" } } } },
            "/nearest": { "get": { "summary": "The k nearest stations by walking time, with routes",
              "parameters": [ { "name": "lon", "in": "query", "schema": { "type": "number" } }, { "name": "lat", "in": "query", "schema": { "type": "number" } },
                { "name": "compound", "in": "query", "schema": { "type": "string" } }, { "name": "k", "in": "query", "schema": { "type": "integer", "minimum": 1, "maximum": 50, "default": 3 } },
                { "name": "speed", "in": "query", "schema": { "type": "number", "default": 1.11 } } ],
              "responses": { "200": { "description": "Stations", "content": { "application/json": {} } }, "400": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" }, "422": { "$ref": "#/components/responses/Problem" } } } },
            "/stations/{id}/isochrone": { "get": { "summary": "Areas reachable on foot from a station within each number of minutes",
              "parameters": [ { "name": "id", "in": "path", "required": true, "schema": { "type": "integer" } }, { "name": "minutes", "in": "query", "schema": { "type": "string", "default": "5,10,15" } },
                { "name": "speed", "in": "query", "schema": { "type": "number", "default": 1.11 } } ],
              "responses": { "200": { "description": "A FeatureCollection of polygons", "content": { "application/geo+json": {} } }, "400": { "$ref": "#/components/responses/Problem" }, "404": { "$ref": "#/components/responses/Problem" }, "422": { "$ref": "#/components/responses/Problem" }, "429": { "$ref": "#/components/responses/Problem" } } } }
          }
        }
        """;
}

# The API for docker-compose.yml; the database comes from the postgis/postgis image.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN dotnet publish src/GridMap.Cli -c Release -o /app

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /gridmap
COPY --from=build /app /gridmap/app
COPY GridMap.sln /gridmap/
COPY data/demo /gridmap/data/demo
COPY src/GridMap.Api/wwwroot /gridmap/src/GridMap.Api/wwwroot
ENV GRIDMAP_HOME=/gridmap
EXPOSE 5000
ENTRYPOINT ["dotnet", "/gridmap/app/gridmap.dll", "serve", "--urls", "http://0.0.0.0:5000"]

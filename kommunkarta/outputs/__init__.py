"""What the dashboard draws and hands out: folium maps and legends (``maps``),
matplotlib images (``static_maps``), file formats (``formats``), PowerPoint
(``deck``), the finished downloads of pages and CLI (``downloads``), and Leaflet
served by the app itself (``leaflet_assets``)."""

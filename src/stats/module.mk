# src/stats — shared-memory stats store, SQL views, Prometheus text, HTTP exporter.
OBJS      += src/stats/store.o src/stats/persist.o src/stats/prometheus.o src/stats/views.o
UPHUB_SQL += src/stats/stats.sql

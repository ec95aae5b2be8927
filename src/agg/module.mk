# Aggregates: change capture, incremental refresh, background worker.
OBJS      += src/agg/agg.o src/agg/capture.o src/agg/interp.o src/agg/refresh.o src/agg/vstep.o src/agg/worker.o
UPHUB_SQL += src/agg/agg.sql

# The data model and the core helpers every subsystem shares.
OBJS      += src/schema/schema.o
UPHUB_SQL += src/schema/schema.sql

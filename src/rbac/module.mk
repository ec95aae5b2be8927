# NIST RBAC with scopes: catalog and API (SQL), decision cache, sessions, audit.
OBJS      += src/rbac/init.o src/rbac/cache.o src/rbac/session.o src/rbac/check.o src/rbac/audit.o
UPHUB_SQL += src/rbac/rbac.sql

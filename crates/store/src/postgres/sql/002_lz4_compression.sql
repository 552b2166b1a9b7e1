-- Large values (report bodies, version records, geometries) are compressed with lz4 instead of
-- PostgreSQL's default pglz when the server has it (PostgreSQL 14 and later, built with lz4, as
-- Debian's is): pglz took ~60 % of the server time of a migration import (measured on 20,000
-- hazards of ~100 vertices: 3.9 s to store their records as text with pglz, 1.0 s with lz4).
-- Only new values are affected; a server without lz4 keeps pglz.
DO $$
BEGIN
    ALTER TABLE report ALTER COLUMN body SET COMPRESSION lz4;
    ALTER TABLE item_version ALTER COLUMN record SET COMPRESSION lz4;
    ALTER TABLE item_version ALTER COLUMN geom SET COMPRESSION lz4;
    ALTER TABLE hazard_current ALTER COLUMN geometry SET COMPRESSION lz4;
    ALTER TABLE hazard_current ALTER COLUMN remaining SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported OR syntax_error OR invalid_parameter_value THEN
    RAISE NOTICE 'lz4 compression is not available on this server; keeping pglz';
END
$$;

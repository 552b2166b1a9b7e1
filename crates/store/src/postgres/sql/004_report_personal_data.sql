-- Victims' personal data entered in reports, one row per report entry, apart from every
-- other table: `report.body` no longer holds them. Bodies written before move theirs here.
CREATE TABLE report_personal_data (
    report_id   bigint NOT NULL REFERENCES report (id),
    entry_index integer NOT NULL,
    data        jsonb NOT NULL,
    PRIMARY KEY (report_id, entry_index)
);
INSERT INTO report_personal_data (report_id, entry_index, data)
SELECT r.id, (e.n - 1)::integer, e.entry -> 'personal_data'
FROM report r
CROSS JOIN LATERAL jsonb_array_elements(r.body) WITH ORDINALITY AS e(entry, n)
WHERE jsonb_typeof(e.entry -> 'personal_data') = 'object';
UPDATE report r
SET body = (SELECT jsonb_agg(e.entry - 'personal_data' ORDER BY e.n)
            FROM jsonb_array_elements(r.body) WITH ORDINALITY AS e(entry, n))
WHERE EXISTS (SELECT 1 FROM jsonb_array_elements(r.body) AS x(entry) WHERE x.entry ? 'personal_data');

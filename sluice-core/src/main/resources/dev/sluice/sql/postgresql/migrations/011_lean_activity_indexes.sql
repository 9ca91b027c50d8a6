-- Leaner indexes on sluice_activity, whose rows the write-ahead log's flush inserts by the
-- hundred thousand a second.
--
-- No primary key index. Activity rows are only ever appended, and read per job or per batch
-- through sluice_activity_job and sluice_activity_batch, which end in id for the order of the
-- listing; nothing looks a row up by id alone. Yet the index cost every row a second index
-- insertion: measured on the flush (binary COPY), the server spent about 2 of its 8 to 10
-- microseconds per row on it. id stays unique without it: only its sequence assigns it, for rows
-- written directly and through the log alike.
ALTER TABLE sluice_activity DROP CONSTRAINT sluice_activity_pkey;
-- No deduplication in the two remaining indexes: their keys end in the unique id, so no two
-- entries are ever equal, and the pass that looks for equal ones before each leaf page split
-- found nothing for 1.6 % of the server's time.
ALTER INDEX sluice_activity_job SET (deduplicate_items = off);
ALTER INDEX sluice_activity_batch SET (deduplicate_items = off);

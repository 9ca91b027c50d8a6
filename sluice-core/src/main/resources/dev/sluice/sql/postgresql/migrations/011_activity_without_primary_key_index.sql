-- sluice_activity without its primary key index. Activity rows are only ever appended, and read
-- per job or per batch through sluice_activity_job and sluice_activity_batch, which end in id for
-- the order of the listing; nothing looks a row up by id alone. Yet the index cost every row a
-- second index insertion: measured on the write-ahead log's flush (binary COPY), the server spent
-- about 2 of its 8 to 10 microseconds per row on it, the share of the flush rate it is now spared.
-- id stays unique without it: only its sequence assigns it (written directly or by the flush).
ALTER TABLE sluice_activity DROP CONSTRAINT sluice_activity_pkey;

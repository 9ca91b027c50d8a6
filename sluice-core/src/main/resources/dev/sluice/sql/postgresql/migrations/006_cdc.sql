-- Change detection: the last content hash seen per controller and object.
CREATE TABLE sluice_cdc_hash (
    controller TEXT   NOT NULL,
    object_id  TEXT   NOT NULL,
    hash       TEXT   NOT NULL,
    updated_at BIGINT NOT NULL,
    PRIMARY KEY (controller, object_id)
);

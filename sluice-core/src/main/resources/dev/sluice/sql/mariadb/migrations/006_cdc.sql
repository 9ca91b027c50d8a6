-- Change detection: the last content hash seen per controller and object.
CREATE TABLE sluice_cdc_hash (
    controller VARCHAR(255) NOT NULL,
    object_id  VARCHAR(255) NOT NULL,
    hash       CHAR(64)     NOT NULL,
    updated_at BIGINT       NOT NULL,
    PRIMARY KEY (controller, object_id)
) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin;

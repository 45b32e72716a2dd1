package io.snowpack.iceberg;

/** {@link S3WarehouseContract} with an Iceberg {@code JdbcCatalog} (H2) in this JVM writing to the bucket. */
class S3WarehouseTest extends S3WarehouseContract {
    @Override
    Warehouse open(String location) {
        return new Warehouse(location, s3.fileIoProperties());
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Modelgate.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UsageRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_usage_records_session_hash",
                table: "usage_records");

            migrationBuilder.AddColumn<string>(
                name: "team",
                table: "virtual_keys",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "usage_daily",
                columns: table => new
                {
                    level = table.Column<int>(type: "integer", nullable: false),
                    series_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<int>(type: "integer", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    errors = table.Column<long>(type: "bigint", nullable: false),
                    streamed = table.Column<long>(type: "bigint", nullable: false),
                    estimated = table.Column<long>(type: "bigint", nullable: false),
                    unpriced = table.Column<long>(type: "bigint", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cached_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cost_picos = table.Column<long>(type: "bigint", nullable: false),
                    latency_ms_sum = table.Column<long>(type: "bigint", nullable: false),
                    latency_hist = table.Column<byte[]>(type: "bytea", nullable: false),
                    ttft_hist = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_daily", x => new { x.level, x.day, x.series_id, x.status });
                });

            migrationBuilder.CreateTable(
                name: "usage_hourly",
                columns: table => new
                {
                    level = table.Column<int>(type: "integer", nullable: false),
                    series_id = table.Column<int>(type: "integer", nullable: false),
                    status = table.Column<int>(type: "integer", nullable: false),
                    hour = table.Column<int>(type: "integer", nullable: false),
                    requests = table.Column<long>(type: "bigint", nullable: false),
                    errors = table.Column<long>(type: "bigint", nullable: false),
                    streamed = table.Column<long>(type: "bigint", nullable: false),
                    estimated = table.Column<long>(type: "bigint", nullable: false),
                    unpriced = table.Column<long>(type: "bigint", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cached_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cost_picos = table.Column<long>(type: "bigint", nullable: false),
                    latency_ms_sum = table.Column<long>(type: "bigint", nullable: false),
                    latency_hist = table.Column<byte[]>(type: "bytea", nullable: false),
                    ttft_hist = table.Column<byte[]>(type: "bytea", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_hourly", x => new { x.level, x.hour, x.series_id, x.status });
                });

            migrationBuilder.CreateIndex(
                name: "IX_usage_records_session_hash",
                table: "usage_records",
                column: "session_hash",
                filter: "session_hash IS NOT NULL");

            // Rollup rows are updated in place by every batch that adds to them; room on the page keeps those updates
            // HOT (no key column changes), so the tables do not bloat with the current hour's churn.
            migrationBuilder.Sql("ALTER TABLE usage_hourly SET (fillfactor = 70)");
            migrationBuilder.Sql("ALTER TABLE usage_daily SET (fillfactor = 70)");

            // Raw rows arrive in time order: a BRIN index finds a range's pages in a few kB, where a btree costs ~22 bytes
            // a call (EF's model still says btree; nothing in it changes this index).
            migrationBuilder.Sql("DROP INDEX \"IX_usage_records_at_ms\"");
            migrationBuilder.Sql("CREATE INDEX \"IX_usage_records_at_ms\" ON usage_records USING brin (at_ms) WITH (pages_per_range = 32, autosummarize = on)");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP INDEX \"IX_usage_records_at_ms\"");
            migrationBuilder.Sql("CREATE INDEX \"IX_usage_records_at_ms\" ON usage_records (at_ms)");

            migrationBuilder.DropTable(
                name: "usage_daily");

            migrationBuilder.DropTable(
                name: "usage_hourly");

            migrationBuilder.DropIndex(
                name: "IX_usage_records_session_hash",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "team",
                table: "virtual_keys");

            migrationBuilder.CreateIndex(
                name: "IX_usage_records_session_hash",
                table: "usage_records",
                column: "session_hash");
        }
    }
}

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Modelgate.Storage.Migrations.Sqlite
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
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "usage_daily",
                columns: table => new
                {
                    level = table.Column<int>(type: "INTEGER", nullable: false),
                    series_id = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    requests = table.Column<long>(type: "INTEGER", nullable: false),
                    errors = table.Column<long>(type: "INTEGER", nullable: false),
                    streamed = table.Column<long>(type: "INTEGER", nullable: false),
                    estimated = table.Column<long>(type: "INTEGER", nullable: false),
                    unpriced = table.Column<long>(type: "INTEGER", nullable: false),
                    input_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    output_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cached_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cost_picos = table.Column<long>(type: "INTEGER", nullable: false),
                    latency_ms_sum = table.Column<long>(type: "INTEGER", nullable: false),
                    latency_hist = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ttft_hist = table.Column<byte[]>(type: "BLOB", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_daily", x => new { x.level, x.day, x.series_id, x.status });
                });

            migrationBuilder.CreateTable(
                name: "usage_hourly",
                columns: table => new
                {
                    level = table.Column<int>(type: "INTEGER", nullable: false),
                    series_id = table.Column<int>(type: "INTEGER", nullable: false),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    hour = table.Column<int>(type: "INTEGER", nullable: false),
                    requests = table.Column<long>(type: "INTEGER", nullable: false),
                    errors = table.Column<long>(type: "INTEGER", nullable: false),
                    streamed = table.Column<long>(type: "INTEGER", nullable: false),
                    estimated = table.Column<long>(type: "INTEGER", nullable: false),
                    unpriced = table.Column<long>(type: "INTEGER", nullable: false),
                    input_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    output_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cached_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cost_picos = table.Column<long>(type: "INTEGER", nullable: false),
                    latency_ms_sum = table.Column<long>(type: "INTEGER", nullable: false),
                    latency_hist = table.Column<byte[]>(type: "BLOB", nullable: false),
                    ttft_hist = table.Column<byte[]>(type: "BLOB", nullable: false)
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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
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

using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Modelgate.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageRollupLevels : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_usage_hourly",
                table: "usage_hourly");

            migrationBuilder.DropPrimaryKey(
                name: "PK_usage_daily",
                table: "usage_daily");

            migrationBuilder.AddColumn<int>(
                name: "level",
                table: "usage_hourly",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "level",
                table: "usage_daily",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddPrimaryKey(
                name: "PK_usage_hourly",
                table: "usage_hourly",
                columns: new[] { "level", "hour", "series_id", "status" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_usage_daily",
                table: "usage_daily",
                columns: new[] { "level", "day", "series_id", "status" });

            // Rollups built before levels existed have none of the model and key levels: build them again at the next start.
            migrationBuilder.Sql("DELETE FROM settings WHERE key IN ('usage.rollups_built', 'usage.rollups_built_before_day')");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropPrimaryKey(
                name: "PK_usage_hourly",
                table: "usage_hourly");

            migrationBuilder.DropPrimaryKey(
                name: "PK_usage_daily",
                table: "usage_daily");

            migrationBuilder.DropColumn(
                name: "level",
                table: "usage_hourly");

            migrationBuilder.DropColumn(
                name: "level",
                table: "usage_daily");

            migrationBuilder.AddPrimaryKey(
                name: "PK_usage_hourly",
                table: "usage_hourly",
                columns: new[] { "hour", "series_id", "status" });

            migrationBuilder.AddPrimaryKey(
                name: "PK_usage_daily",
                table: "usage_daily",
                columns: new[] { "day", "series_id", "status" });
        }
    }
}

using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Modelgate.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UsageAndBudgets : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "budget_period",
                table: "virtual_keys",
                type: "TEXT",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "budget_usd",
                table: "virtual_keys",
                type: "TEXT",
                precision: 18,
                scale: 6,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "key_spend",
                columns: table => new
                {
                    key_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    cost_picos = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_key_spend", x => new { x.key_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "model_prices",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    model_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    effective_from = table.Column<DateTime>(type: "TEXT", nullable: false),
                    input_per_million = table.Column<decimal>(type: "TEXT", precision: 18, scale: 6, nullable: true),
                    output_per_million = table.Column<decimal>(type: "TEXT", precision: 18, scale: 6, nullable: true),
                    cached_input_per_million = table.Column<decimal>(type: "TEXT", precision: 18, scale: 6, nullable: true),
                    set_by = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_model_prices", x => x.id);
                    table.ForeignKey(
                        name: "FK_model_prices_llm_models_model_id",
                        column: x => x.model_id,
                        principalTable: "llm_models",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "usage_records",
                columns: table => new
                {
                    id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    request_id = table.Column<byte[]>(type: "BLOB", maxLength: 16, nullable: false),
                    at_ms = table.Column<long>(type: "INTEGER", nullable: false),
                    series_id = table.Column<int>(type: "INTEGER", nullable: false),
                    input_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    output_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cached_tokens = table.Column<long>(type: "INTEGER", nullable: false),
                    cost_picos = table.Column<long>(type: "INTEGER", nullable: true),
                    latency_ms = table.Column<int>(type: "INTEGER", nullable: false),
                    ttft_ms = table.Column<int>(type: "INTEGER", nullable: true),
                    status = table.Column<int>(type: "INTEGER", nullable: false),
                    error_class = table.Column<string>(type: "TEXT", maxLength: 32, nullable: true),
                    flags = table.Column<int>(type: "INTEGER", nullable: false),
                    config_version = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_records", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "usage_rollups",
                columns: table => new
                {
                    day = table.Column<int>(type: "INTEGER", nullable: false),
                    series_id = table.Column<int>(type: "INTEGER", nullable: false),
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
                    latency_histogram = table.Column<string>(type: "TEXT", nullable: false),
                    ttft_histogram = table.Column<string>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_rollups", x => new { x.day, x.series_id });
                });

            migrationBuilder.CreateTable(
                name: "usage_series",
                columns: table => new
                {
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    source = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    operation = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    key_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    purpose = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    variant = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    provider_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    provider_name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    model_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    model_name = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_series", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_model_prices_model_id_effective_from",
                table: "model_prices",
                columns: new[] { "model_id", "effective_from" });

            migrationBuilder.CreateIndex(
                name: "IX_usage_records_at_ms",
                table: "usage_records",
                column: "at_ms");

            migrationBuilder.CreateIndex(
                name: "IX_usage_records_request_id",
                table: "usage_records",
                column: "request_id",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_usage_series_key_id_purpose_variant_provider_id_model_id_provider_name_model_name_operation_source",
                table: "usage_series",
                columns: new[] { "key_id", "purpose", "variant", "provider_id", "model_id", "provider_name", "model_name", "operation", "source" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "key_spend");

            migrationBuilder.DropTable(
                name: "model_prices");

            migrationBuilder.DropTable(
                name: "usage_records");

            migrationBuilder.DropTable(
                name: "usage_rollups");

            migrationBuilder.DropTable(
                name: "usage_series");

            migrationBuilder.DropColumn(
                name: "budget_period",
                table: "virtual_keys");

            migrationBuilder.DropColumn(
                name: "budget_usd",
                table: "virtual_keys");
        }
    }
}

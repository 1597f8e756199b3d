using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Modelgate.Storage.Migrations.Postgres
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
                type: "character varying(16)",
                maxLength: 16,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "budget_usd",
                table: "virtual_keys",
                type: "numeric(18,6)",
                precision: 18,
                scale: 6,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "key_spend",
                columns: table => new
                {
                    key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    day = table.Column<int>(type: "integer", nullable: false),
                    cost_picos = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_key_spend", x => new { x.key_id, x.day });
                });

            migrationBuilder.CreateTable(
                name: "model_prices",
                columns: table => new
                {
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    model_id = table.Column<Guid>(type: "uuid", nullable: false),
                    effective_from = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    input_per_million = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                    output_per_million = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                    cached_input_per_million = table.Column<decimal>(type: "numeric(18,6)", precision: 18, scale: 6, nullable: true),
                    set_by = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false)
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
                    id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    request_id = table.Column<byte[]>(type: "bytea", maxLength: 16, nullable: false),
                    at_ms = table.Column<long>(type: "bigint", nullable: false),
                    series_id = table.Column<int>(type: "integer", nullable: false),
                    input_tokens = table.Column<long>(type: "bigint", nullable: false),
                    output_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cached_tokens = table.Column<long>(type: "bigint", nullable: false),
                    cost_picos = table.Column<long>(type: "bigint", nullable: true),
                    latency_ms = table.Column<int>(type: "integer", nullable: false),
                    ttft_ms = table.Column<int>(type: "integer", nullable: true),
                    status = table.Column<int>(type: "integer", nullable: false),
                    error_class = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: true),
                    flags = table.Column<int>(type: "integer", nullable: false),
                    config_version = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_records", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "usage_rollups",
                columns: table => new
                {
                    day = table.Column<int>(type: "integer", nullable: false),
                    series_id = table.Column<int>(type: "integer", nullable: false),
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
                    latency_histogram = table.Column<string>(type: "text", nullable: false),
                    ttft_histogram = table.Column<string>(type: "text", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_usage_rollups", x => new { x.day, x.series_id });
                });

            migrationBuilder.CreateTable(
                name: "usage_series",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    source = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    operation = table.Column<string>(type: "character varying(16)", maxLength: 16, nullable: false),
                    key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    purpose = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    variant = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    provider_id = table.Column<Guid>(type: "uuid", nullable: false),
                    provider_name = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    model_id = table.Column<Guid>(type: "uuid", nullable: false),
                    model_name = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false)
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
                name: "IX_usage_series_key_id_purpose_variant_provider_id_model_id_pr~",
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

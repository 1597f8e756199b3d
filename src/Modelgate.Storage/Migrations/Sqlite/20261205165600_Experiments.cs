using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Modelgate.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Experiments : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_usage_series_key_id_purpose_variant_provider_id_model_id_provider_name_model_name_operation_source",
                table: "usage_series");

            migrationBuilder.AddColumn<Guid>(
                name: "experiment_id",
                table: "usage_series",
                type: "TEXT",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<long>(
                name: "session_hash",
                table: "usage_records",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "experiments",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    target = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    stickiness = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    state = table.Column<string>(type: "TEXT", maxLength: 16, nullable: false),
                    starts_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ends_at = table.Column<DateTime>(type: "TEXT", nullable: true),
                    stop_reason = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: true),
                    description = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    alpha = table.Column<double>(type: "REAL", nullable: false),
                    variants = table.Column<string>(type: "TEXT", nullable: false),
                    guardrails = table.Column<string>(type: "TEXT", nullable: false),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    updated_at = table.Column<DateTime>(type: "TEXT", nullable: false),
                    revision = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_experiments", x => x.id);
                });

            migrationBuilder.CreateTable(
                name: "feedback",
                columns: table => new
                {
                    id = table.Column<Guid>(type: "TEXT", nullable: false),
                    request_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    session_hash = table.Column<long>(type: "INTEGER", nullable: true),
                    experiment_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    variant = table.Column<string>(type: "TEXT", maxLength: 200, nullable: true),
                    metric = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    value = table.Column<double>(type: "REAL", nullable: false),
                    key_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    created_at = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_feedback", x => x.id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_usage_series_key_id_purpose_experiment_id_variant_provider_id_model_id_provider_name_model_name_operation_source",
                table: "usage_series",
                columns: new[] { "key_id", "purpose", "experiment_id", "variant", "provider_id", "model_id", "provider_name", "model_name", "operation", "source" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_usage_records_session_hash",
                table: "usage_records",
                column: "session_hash");

            migrationBuilder.CreateIndex(
                name: "IX_experiments_name",
                table: "experiments",
                column: "name",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_experiments_target",
                table: "experiments",
                column: "target");

            migrationBuilder.CreateIndex(
                name: "IX_feedback_experiment_id_variant_metric",
                table: "feedback",
                columns: new[] { "experiment_id", "variant", "metric" });

            migrationBuilder.CreateIndex(
                name: "IX_feedback_request_id_metric",
                table: "feedback",
                columns: new[] { "request_id", "metric" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "experiments");

            migrationBuilder.DropTable(
                name: "feedback");

            migrationBuilder.DropIndex(
                name: "IX_usage_series_key_id_purpose_experiment_id_variant_provider_id_model_id_provider_name_model_name_operation_source",
                table: "usage_series");

            migrationBuilder.DropIndex(
                name: "IX_usage_records_session_hash",
                table: "usage_records");

            migrationBuilder.DropColumn(
                name: "experiment_id",
                table: "usage_series");

            migrationBuilder.DropColumn(
                name: "session_hash",
                table: "usage_records");

            migrationBuilder.CreateIndex(
                name: "IX_usage_series_key_id_purpose_variant_provider_id_model_id_provider_name_model_name_operation_source",
                table: "usage_series",
                columns: new[] { "key_id", "purpose", "variant", "provider_id", "model_id", "provider_name", "model_name", "operation", "source" },
                unique: true);
        }
    }
}

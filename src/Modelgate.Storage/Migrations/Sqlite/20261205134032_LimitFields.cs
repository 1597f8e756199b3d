using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Modelgate.Storage.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class LimitFields : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "concurrent_requests",
                table: "virtual_keys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "requests_per_minute",
                table: "virtual_keys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "shadow_limits",
                table: "virtual_keys",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "tokens_per_minute",
                table: "virtual_keys",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "shadow_limits",
                table: "llm_providers",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "requests_per_minute",
                table: "llm_models",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "shadow_limits",
                table: "llm_models",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<long>(
                name: "tokens_per_minute",
                table: "llm_models",
                type: "INTEGER",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "concurrent_requests",
                table: "virtual_keys");

            migrationBuilder.DropColumn(
                name: "requests_per_minute",
                table: "virtual_keys");

            migrationBuilder.DropColumn(
                name: "shadow_limits",
                table: "virtual_keys");

            migrationBuilder.DropColumn(
                name: "tokens_per_minute",
                table: "virtual_keys");

            migrationBuilder.DropColumn(
                name: "shadow_limits",
                table: "llm_providers");

            migrationBuilder.DropColumn(
                name: "requests_per_minute",
                table: "llm_models");

            migrationBuilder.DropColumn(
                name: "shadow_limits",
                table: "llm_models");

            migrationBuilder.DropColumn(
                name: "tokens_per_minute",
                table: "llm_models");
        }
    }
}

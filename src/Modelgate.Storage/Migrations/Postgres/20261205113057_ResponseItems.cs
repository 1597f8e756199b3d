using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Modelgate.Storage.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ResponseItems : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "response_items",
                columns: table => new
                {
                    response_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: false),
                    ordinal = table.Column<int>(type: "integer", nullable: false),
                    item_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    previous_response_id = table.Column<string>(type: "character varying(128)", maxLength: 128, nullable: true),
                    key_id = table.Column<Guid>(type: "uuid", nullable: false),
                    body = table.Column<string>(type: "text", nullable: false),
                    expires_at = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_response_items", x => new { x.response_id, x.ordinal });
                });

            migrationBuilder.CreateIndex(
                name: "IX_response_items_expires_at",
                table: "response_items",
                column: "expires_at");

            migrationBuilder.CreateIndex(
                name: "IX_response_items_item_id",
                table: "response_items",
                column: "item_id");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "response_items");
        }
    }
}

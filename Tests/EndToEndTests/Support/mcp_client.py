"""An outside MCP client for `zero mcp`: the MCP Python SDK from PyPI starts
the real binary over stdio in the current folder and works one ticket
through it: start, progress, complete.

Usage: mcp_client.py <zero binary> <ready ticket> <ticket waiting for it>

Prints one JSON object per line: {"step", "is_error", "text"} for each tool
call (text is what the tool returned), after an "initialize" and a "tools"
line. MCPClientTests.swift reads them.
"""

import asyncio
import json
import os
import sys

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def report(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


async def work(zero, ticket, waiting):
    # The server inherits this environment (the test's private HOME), not the
    # SDK's short default list of variables.
    server = StdioServerParameters(command=zero, args=["mcp"], cwd=os.getcwd(), env=dict(os.environ))
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            # Wire names (camelCase) whatever the SDK's Python attribute names are.
            init = (await session.initialize()).model_dump(mode="json", by_alias=True, exclude_none=True)
            report("initialize", server=init["serverInfo"]["name"], version=init["protocolVersion"])
            listed = (await session.list_tools()).model_dump(mode="json", by_alias=True, exclude_none=True)
            report(
                "tools",
                names=[tool["name"] for tool in listed["tools"]],
                characters=len(json.dumps(listed, separators=(",", ":"))),
            )
            calls = [
                ("ready", "get_next_actionable_tickets", {}),
                ("refused", "start_work_session", {"ticket": waiting}),
                ("start", "start_work_session", {"ticket": ticket[:8]}),
                (
                    "progress",
                    "action_work_session",
                    {"ticket": ticket, "action": "progress", "done": [1, 2], "files": ["created:src/t0-0.txt"]},
                ),
                ("bad", "action_work_session", {"ticket": ticket, "action": "progress", "done": "all"}),
                ("complete", "complete_work_session", {"ticket": ticket, "summary": "layer 0 written"}),
                ("case", "get", {"case": ticket}),
            ]
            for step, tool, arguments in calls:
                result = (await session.call_tool(tool, arguments)).model_dump(mode="json", by_alias=True, exclude_none=True)
                text = "\n".join(item["text"] for item in result["content"] if item["type"] == "text")
                report(step, is_error=bool(result.get("isError")), text=text)


if __name__ == "__main__":
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    asyncio.run(asyncio.wait_for(work(*sys.argv[1:]), timeout=120))

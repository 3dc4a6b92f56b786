"""An outside MCP client for `zero mcp`: the MCP Python SDK from PyPI starts
the real binary over stdio in the current folder and drives it.

Usage:
  mcp_client.py flow <zero binary> <ready ticket> <ticket waiting for it>
      works the ready ticket through start, progress and complete
  mcp_client.py concurrent <zero binary> <case> <other case>
      runs a slow proof command on each case and, while both run, one more call

Prints one JSON object per line, {"step", ...}: for a tool call "is_error"
and "text" (what the tool returned). MCPClientTests.swift reads them.
"""

import asyncio
import contextlib
import json
import os
import sys
import time

from mcp import ClientSession, StdioServerParameters
from mcp.client.stdio import stdio_client


def report(step, **fields):
    print(json.dumps({"step": step, **fields}), flush=True)


def wire(model):
    """A result by its names on the wire (camelCase), whatever the SDK's Python attribute names are."""
    return model.model_dump(mode="json", by_alias=True, exclude_none=True)


@contextlib.asynccontextmanager
async def connect(zero):
    # The server inherits this environment (the test's private HOME), not the
    # SDK's short default list of variables.
    server = StdioServerParameters(command=zero, args=["mcp"], cwd=os.getcwd(), env=dict(os.environ))
    async with stdio_client(server) as (read, write):
        async with ClientSession(read, write) as session:
            init = wire(await session.initialize())
            report("initialize", server=init["serverInfo"]["name"], version=init["protocolVersion"])
            yield session


async def call(session, step, tool, arguments):
    result = wire(await session.call_tool(tool, arguments))
    text = "\n".join(item["text"] for item in result["content"] if item["type"] == "text")
    report(step, is_error=bool(result.get("isError")), text=text)


async def flow(zero, ticket, waiting):
    async with connect(zero) as session:
        listed = wire(await session.list_tools())
        report(
            "tools",
            names=[tool["name"] for tool in listed["tools"]],
            characters=len(json.dumps(listed, separators=(",", ":"))),
        )
        await call(session, "ready", "get_next_actionable_tickets", {})
        await call(session, "refused", "start_work_session", {"ticket": waiting})
        await call(session, "start", "start_work_session", {"ticket": ticket[:8]})
        progress = {"ticket": ticket, "action": "progress", "done": [1, 2], "files": ["created:src/t0-0.txt"]}
        await call(session, "progress", "action_work_session", progress)
        await call(session, "bad", "action_work_session", {"ticket": ticket, "action": "progress", "done": "all"})
        await call(session, "complete", "complete_work_session", {"ticket": ticket, "summary": "layer 0 written"})
        await call(session, "case", "get", {"case": ticket})


async def concurrent(zero, first, second):
    async with connect(zero) as session:
        proofs = [
            asyncio.create_task(
                call(session, f"proof {n}", "attach_proof",
                     {"case": case, "command": ["sh", "-c", f"touch ../{n}.started; sleep 6; touch ../{n}.finished"]})
            )
            for n, case in ((1, first), (2, second))
        ]
        while not all(os.path.exists(f"../{n}.started") for n in (1, 2)):
            await asyncio.sleep(0.02)
        start = time.monotonic()
        await call(session, "while running", "get_next_actionable_tickets", {})
        report(
            "timing",
            seconds=time.monotonic() - start,
            finished=[n for n in (1, 2) if os.path.exists(f"../{n}.finished")],
        )
        await asyncio.gather(*proofs)


if __name__ == "__main__":
    modes = {"flow": flow, "concurrent": concurrent}
    if len(sys.argv) != 5 or sys.argv[1] not in modes:
        sys.exit(__doc__)
    asyncio.run(asyncio.wait_for(modes[sys.argv[1]](*sys.argv[2:]), timeout=120))

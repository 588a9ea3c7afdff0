package io.stowage.cli;

import io.stowage.Capabilities;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "capabilities", description = "What every backend type here can do, with its example settings "
        + "(no network needed); --markdown prints the table of the backends page.")
final class CapabilitiesCommand implements Callable<Integer> {

    @ParentCommand
    StowageCli root;

    @Option(names = "--markdown", description = "print the generated block of docs/backends.md")
    boolean markdown;

    @Override
    public Integer call() {
        CliContext ctx = root.ctx();
        PrintWriter out = ctx.out();
        if (markdown) {
            out.print(BackendsPage.markdown(ctx.providers()));
        } else {
            for (Map.Entry<String, Capabilities> e : BackendsPage.capabilities(ctx.providers()).entrySet()) {
                out.println(e.getKey());
                e.getValue().toMap().forEach((k, v) -> out.printf("  %-20s %s%n", k, v));
            }
        }
        out.flush();
        return ExitCodes.OK;
    }
}

package perceptron.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import perceptron.cli.experiments.ComparisonFigure;
import perceptron.cli.experiments.RunInfo;
import perceptron.cli.experiments.SettingsDiff;
import perceptron.cli.experiments.Table;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code perceptron compare RUN...}: what differs between runs, how they ended, and their curves on shared axes. */
@Command(name = "compare", mixinStandardHelpOptions = true,
        description = {"Compare runs: the settings that differ, the final metrics, and the curves on shared axes "
                + "(one colour per run, the legend naming what differs).",
                "A directory that is not a run (a sweep) stands for every run under it."})
public final class CompareCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN", description = "run directories, or directories of runs")
    List<Path> paths;

    @Option(names = "--out", paramLabel = "FILE", description = "the figure, .png or .svg (default: compare.png)")
    Path out = Path.of("compare.png");

    @Override
    public Integer call() throws IOException {
        PrintStream o = System.out;
        List<RunInfo> runs = new ArrayList<>();
        for (Path p : paths) {
            if (!Files.isDirectory(p)) {
                throw new UserException(p + " is not a directory (give run directories, e.g. runs/mlp-20261129-101500)");
            }
            if (RunInfo.isRun(p)) {
                runs.add(RunInfo.read(p));
            } else {
                List<RunInfo> under = RunInfo.findAll(p);
                if (under.isEmpty()) {
                    throw new UserException(p + " is not a run (no model.json or metrics.csv) and holds none");
                }
                runs.addAll(under);
            }
        }
        SettingsDiff diff = SettingsDiff.of(runs);
        o.printf("%d run%s%n", runs.size(), runs.size() == 1 ? "" : "s");
        if (!diff.shared().isEmpty()) {
            List<String> same = new ArrayList<>();
            diff.shared().forEach((k, v) -> same.add(k + " " + v));
            o.println((runs.size() > 1 ? "the same in every run: " : "settings: ") + String.join(", ", same));
        }
        o.println();
        List<String> metrics = ComparisonFigure.commonMetrics(runs);
        List<String> header = new ArrayList<>(List.of("run"));
        header.addAll(diff.differing());
        header.add("epochs");
        header.addAll(metrics);
        header.add("time");
        Table table = new Table(header);
        for (RunInfo r : runs) {
            List<String> row = new ArrayList<>(List.of(r.name()));
            for (String k : diff.differing()) {
                row.add(SettingsDiff.value(r, k));
            }
            row.add(r.epochsDone() + (r.plannedEpochs() > r.epochsDone() ? "/" + r.plannedEpochs() : ""));
            for (String m : metrics) {
                row.add(Table.number(r.last(m)));
            }
            row.add(String.format(Locale.ROOT, "%.1f s", r.seconds()));
            table.add(row);
        }
        o.print(table);
        if (metrics.isEmpty()) {
            o.println("\nno figure: the runs have no metric in common yet");
            return 0;
        }
        List<String> labels = runs.stream().map(diff::label).toList();
        if (labels.stream().distinct().count() < labels.size()) {
            labels = runs.stream().map(r -> r.name() + (diff.differing().isEmpty() ? "" : " " + diff.label(r))).toList();
        }
        Path figure = ComparisonFigure.save(runs, labels, null, out);
        o.printf("%nwrote %s%n", figure);
        return 0;
    }

}

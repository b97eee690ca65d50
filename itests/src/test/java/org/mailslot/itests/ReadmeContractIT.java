package org.mailslot.itests;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.inject.Inject;

import org.assertj.core.api.SoftAssertions;
import org.junit.Test;
import org.junit.experimental.categories.Category;
import org.junit.runner.RunWith;
import org.mailslot.testing.peers.IssuedCertificate;
import org.mailslot.testing.peers.TestCa;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.Configuration;
import org.osgi.service.component.runtime.dto.ComponentConfigurationDTO;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeInformation;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;

/**
 * The README is a contract: this test reads README.md, and the bundle READMEs its Configuration
 * table links to, when it runs, and drives every name they document against the running
 * distribution. A row or example someone adds is covered without touching this test; a property,
 * default, command or option the README names and the code does not have fails it, naming the
 * file and line.
 *
 * <ul>
 *   <li>Configuration table: each PID is declared by Mailslot's metatype with the kind the table
 *       gives (single or factory), with every property the row names.</li>
 *   <li>Property tables (first column {@code property}): each property is declared for the PID
 *       the text before the table names last; a default written as one code span (not one such as
 *       {@code ${karaf.data}/...}, which says what an empty value stands for) is the declared default.</li>
 *   <li>Ports table: each row is a built-in strategy that {@code mailslot:ports} shows as written.</li>
 *   <li>Commands: each {@code mailslot:NAME} the READMEs show, and each name of the shell's row in
 *       the table of bundles, is a command of the shell, with the options shown beside it.</li>
 *   <li>Examples: each code block given as {@code etc/<PID>[-NAME].cfg}, written to that file,
 *       declares only known properties and makes its component active without an error in the
 *       log; each configuration the README calls refused, written {@code (`k = v` with `k2 = v2`) is refused},
 *       applied to the example before it, leaves the component failed with a reason
 *       {@code mailslot:status} shows.</li>
 * </ul>
 */
@RunWith(PaxExam.class)
// A Karaf of its own: it writes and removes files in etc/, and File Install deletes the configuration of a
// removed file, which the suite's later tests would then find gone or recreated under them.
@ExamReactorStrategy(PerClass.class)
@Category(OwnKaraf.class)
public class ReadmeContractIT extends MailslotTestSupport {

    private static final Pattern PID = Pattern.compile("org\\.mailslot\\.[a-z]+(?:\\.[a-z]+)*");
    private static final Pattern PROPERTY = Pattern.compile("\\.?[a-z][a-z0-9]*(?:\\.[a-z0-9]+)*");
    /** A property written with a placeholder, such as {@code rule.NAME}: metatype cannot list those. */
    private static final Pattern PROPERTY_PATTERN = Pattern.compile("[a-z][a-z0-9]*(?:\\.(?:[a-z0-9]+|[A-Z]+))*");
    private static final Pattern CFG_FILE = Pattern.compile("etc/(org\\.mailslot\\.[A-Za-z0-9.~-]+)\\.cfg");
    private static final Pattern COMMAND = Pattern.compile("mailslot:([a-z][a-z0-9-]*)");
    private static final Pattern OPTION = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*");
    private static final Pattern ASSIGNMENT = Pattern.compile("([a-z][a-z0-9.]*) = (\\S+)");
    /** How the READMEs write a configuration that is refused: "(`k = v` with `k2 = v2`) is refused". */
    private static final Pattern REFUSAL = Pattern.compile("\\(([^()]*)\\) (?:is|are) refused");

    @Inject
    private MetaTypeService metaTypes;

    /** A PID of the Configuration table, with its kind and the properties written as patterns. */
    private record DocumentedPid(String pid, boolean factory, List<Pattern> patterns) {
    }

    /** An example configuration: the file it is written as, and its text. */
    private record Example(Markdown.Fence fence, String fileName, String pid, Optional<String> name) {
    }

    // ---- the documents

    private static Markdown readme() {
        Path readme = Path.of(System.getProperty(README_PROPERTY));
        return Markdown.read(readme.getParent(), readme);
    }

    /** @return README.md and the bundle READMEs its Configuration table links to */
    private static List<Markdown> documents() {
        Markdown readme = readme();
        Set<Path> files = new LinkedHashSet<>();
        for (List<String> row : configurationTable(readme).rows()) {
            for (String link : Markdown.links(row.get(2))) {
                files.add(readme.file.resolveSibling(link).normalize());
            }
        }
        List<Markdown> documents = new ArrayList<>(List.of(readme));
        files.stream().map(file -> Markdown.read(readme.file.getParent(), file)).forEach(documents::add);
        return documents;
    }

    private static Markdown.Table configurationTable(Markdown readme) {
        return readme.tables.stream().filter(table -> table.header().equals(List.of("PID", "kind", "what")))
                .findFirst().orElseThrow(() -> new AssertionError("README.md has no | PID | kind | what | table"));
    }

    private static Map<String, DocumentedPid> documentedPids() {
        Map<String, DocumentedPid> pids = new LinkedHashMap<>();
        for (List<String> row : configurationTable(readme()).rows()) {
            String pid = Markdown.codeSpans(row.get(0)).get(0);
            List<Pattern> patterns = propertiesNamedIn(row.get(2)).stream()
                    .filter(name -> !PROPERTY.matcher(name).matches())
                    .map(ReadmeContractIT::placeholderPattern).toList();
            pids.put(pid, new DocumentedPid(pid, row.get(1).equals("factory"), patterns));
        }
        return pids;
    }

    /**
     * @return the property names a Configuration table row names: its code spans outside parentheses,
     *     {@code a.b/c} as {@code a.b} and {@code a.c}, {@code rule.NAME = ...} as {@code rule.NAME}
     */
    private static List<String> propertiesNamedIn(String what) {
        List<String> names = new ArrayList<>();
        for (String span : Markdown.codeSpans(Markdown.withoutParentheses(what))) {
            String name = span.contains(" = ") ? span.substring(0, span.indexOf(" = ")).strip() : span;
            if (name.contains("/")) {
                String[] alternatives = name.split("/");
                String prefix = alternatives[0].substring(0, alternatives[0].lastIndexOf('.') + 1);
                names.add(alternatives[0]);
                Arrays.stream(alternatives).skip(1).map(alternative -> prefix + alternative).forEach(names::add);
            } else if (PROPERTY.matcher(name).matches() || PROPERTY_PATTERN.matcher(name).matches()) {
                names.add(name);
            }
        }
        return names;
    }

    /** @return {@code rule.NAME} as a pattern that {@code rule.partners} matches */
    private static Pattern placeholderPattern(String name) {
        return Pattern.compile(Arrays.stream(name.split("\\."))
                .map(part -> part.matches("[A-Z]+") ? "[^.\\s]+" : Pattern.quote(part))
                .collect(Collectors.joining("\\.")));
    }

    /** @return the last PID of the Configuration table that the text names, if it names one */
    private static Optional<String> lastPidIn(String text, Set<String> pids) {
        String found = null;
        Matcher matcher = PID.matcher(text);
        while (matcher.find()) {
            String candidate = matcher.group().replaceFirst("\\.cfg$", "");
            if (pids.contains(candidate)) {
                found = candidate;
            }
        }
        return Optional.ofNullable(found);
    }

    // ---- what the running distribution declares

    /** @return the attribute definitions Mailslot's bundles declare for the PID, by id (several bundles may share one) */
    private Map<String, AttributeDefinition> declared(String pid, boolean factory) {
        Map<String, AttributeDefinition> attributes = new HashMap<>();
        for (Bundle bundle : mailslotBundles()) {
            MetaTypeInformation information = metaTypes.getMetaTypeInformation(bundle);
            if (information == null) {
                continue;
            }
            List<String> pids = Arrays.asList(factory ? information.getFactoryPids() : information.getPids());
            if (pids.contains(pid)) {
                ObjectClassDefinition definition = information.getObjectClassDefinition(pid, null);
                for (AttributeDefinition attribute : definition.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
                    attributes.put(attribute.getID(), attribute);
                }
            }
        }
        return attributes;
    }

    /** A dotted password property is the documented other spelling of the PASSWORD attribute without the dot. */
    private static boolean isDeclared(String name, Map<String, AttributeDefinition> attributes, List<Pattern> patterns) {
        if (attributes.containsKey(name)) {
            return true;
        }
        if (name.startsWith(".") && attributes.containsKey(name.substring(1))
                && attributes.get(name.substring(1)).getType() == AttributeDefinition.PASSWORD) {
            return true;
        }
        return patterns.stream().anyMatch(pattern -> pattern.matcher(name).matches());
    }

    // ---- the tests

    @Test
    public void everyPidOfTheConfigurationTableIsDeclaredWithItsKindAndProperties() {
        SoftAssertions softly = new SoftAssertions();
        Markdown.Table table = configurationTable(readme());
        for (List<String> row : table.rows()) {
            DocumentedPid pid = documentedPids().get(Markdown.codeSpans(row.get(0)).get(0));
            Map<String, AttributeDefinition> attributes = declared(pid.pid(), pid.factory());
            softly.assertThat(attributes).as("%s: metatype of the %s PID %s", table.where(),
                    pid.factory() ? "factory" : "single", pid.pid()).isNotEmpty();
            for (String name : propertiesNamedIn(row.get(2))) {
                if (PROPERTY.matcher(name).matches()) {
                    softly.assertThat(isDeclared(name, attributes, List.of()))
                            .as("%s: %s declares %s (it declares %s)", table.where(), pid.pid(), name,
                                    new java.util.TreeSet<>(attributes.keySet()))
                            .isTrue();
                }
            }
        }
        softly.assertAll();
    }

    @Test
    public void everyPropertyTableNamesDeclaredPropertiesWithTheirDefaults() {
        Map<String, DocumentedPid> pids = documentedPids();
        SoftAssertions softly = new SoftAssertions();
        int rows = 0;
        for (Markdown document : documents()) {
            for (Markdown.Table table : document.tables) {
                if (!table.header().get(0).equals("property")) {
                    continue;
                }
                Optional<String> pid = lastPidIn(table.textBefore(), pids.keySet());
                softly.assertThat(pid).as("%s: the text before the table names the PID it belongs to", table.where())
                        .isPresent();
                if (pid.isEmpty()) {
                    continue;
                }
                DocumentedPid documented = pids.get(pid.get());
                Map<String, AttributeDefinition> attributes = declared(documented.pid(), documented.factory());
                for (List<String> row : table.rows()) {
                    rows++;
                    List<String> names = Markdown.codeSpans(row.get(0));
                    for (String name : names) {
                        softly.assertThat(isDeclared(name, attributes, documented.patterns()))
                                .as("%s: %s declares %s", table.where(), documented.pid(), name).isTrue();
                    }
                    List<String> defaults = Markdown.codeSpans(row.get(1));
                    boolean oneCodeSpan = defaults.size() == 1 && row.get(1).equals("`" + defaults.get(0) + "`");
                    // A default such as `${karaf.data}/mailslot/spool` says what an empty value stands for.
                    if (names.size() == 1 && oneCodeSpan && !defaults.get(0).contains("${")
                            && attributes.containsKey(names.get(0))) {
                        String[] declaredDefault = attributes.get(names.get(0)).getDefaultValue();
                        String value = declaredDefault == null ? "" : String.join(",", declaredDefault);
                        softly.assertThat(value).as("%s: default of %s %s", table.where(), documented.pid(),
                                names.get(0)).isEqualTo(defaults.get(0));
                    }
                }
            }
        }
        softly.assertThat(rows).as("property rows read").isGreaterThan(20);
        softly.assertAll();
    }

    @Test
    public void everyPortOfThePortsTableIsABuiltInStrategyAsWritten() {
        Markdown.Table table = readme().tables.stream()
                .filter(t -> t.header().equals(List.of("port", "role", "TLS", "AUTH"))).findFirst()
                .orElseThrow(() -> new AssertionError("README.md has no | port | role | TLS | AUTH | table"));
        assertThat(table.rows()).isNotEmpty();
        await().untilAsserted(() -> {
            String ports = executeCommand("mailslot:ports");
            SoftAssertions softly = new SoftAssertions();
            for (List<String> row : table.rows()) {
                String auth = row.get(3).split("[:\\s]", 2)[0];
                softly.assertThat(ports).as("%s: mailslot:ports shows %s", table.where(), row)
                        .containsPattern("(?m)^\\s*" + row.get(0) + " \\| " + row.get(1) + "\\s+\\| " + row.get(2)
                                + "\\s+\\| " + auth + "\\s+\\|.*built-in");
            }
            softly.assertAll();
        });
    }

    @Test
    public void everyCommandTheReadmesNameExistsWithItsOptions() throws Exception {
        Map<String, Set<String>> documented = new LinkedHashMap<>();
        Map<String, String> where = new HashMap<>();
        for (Markdown document : documents()) {
            for (String span : Markdown.codeSpans(document.prose)) {
                Matcher command = COMMAND.matcher(span);
                if (command.lookingAt()) {
                    Set<String> options = documented.computeIfAbsent(command.group(1), name -> new LinkedHashSet<>());
                    where.putIfAbsent(command.group(1), document.name.toString());
                    Matcher option = OPTION.matcher(span);
                    while (option.find()) {
                        options.add(option.group());
                    }
                }
            }
        }
        // The shell's row of the table of bundles: `mailslot:status`, `ports`, ..., `queue*`, `key-*`.
        List<String> globs = new ArrayList<>();
        for (Markdown.Table table : readme().tables) {
            for (List<String> row : table.rows()) {
                if (row.size() == 2 && row.get(1).equals("`mailslot-shell`")) {
                    for (String span : Markdown.codeSpans(row.get(0))) {
                        globs.add(span.replaceFirst("^mailslot:", ""));
                    }
                }
            }
        }
        assertThat(globs).as("README.md's table of bundles lists the commands of mailslot-shell").isNotEmpty();
        assertThat(documented).as("commands written as mailslot:NAME").hasSizeGreaterThan(5);

        Set<String> commands = commandsOf("mailslot");
        // Usage written without the scope after a mailslot:NAME, e.g. `key-import FILE [--password P] [--trust]`.
        for (Markdown document : documents()) {
            for (String span : Markdown.codeSpans(document.prose)) {
                String first = span.split("\\s", 2)[0];
                if (commands.contains(first) && OPTION.matcher(span).find()) {
                    Set<String> options = documented.computeIfAbsent(first, name -> new LinkedHashSet<>());
                    where.putIfAbsent(first, document.name.toString());
                    Matcher option = OPTION.matcher(span);
                    while (option.find()) {
                        options.add(option.group());
                    }
                }
            }
        }
        SoftAssertions softly = new SoftAssertions();
        for (String glob : globs) {
            Pattern pattern = Pattern.compile(Pattern.quote(glob).replace("*", "\\E[a-z-]*\\Q"));
            softly.assertThat(commands).as("README.md's bundle table names mailslot:%s", glob)
                    .anyMatch(command -> pattern.matcher(command).matches());
        }
        documented.forEach((command, options) -> {
            softly.assertThat(commands).as("%s names mailslot:%s", where.get(command), command).contains(command);
            if (commands.contains(command) && !options.isEmpty()) {
                String help = executeCommand("mailslot:" + command + " --help");
                for (String option : options) {
                    softly.assertThat(help).as("%s: mailslot:%s has %s", where.get(command), command, option)
                            .contains(option);
                }
            }
        });
        softly.assertAll();
    }

    @Test
    public void everyExampleConfigurationMakesItsComponentActive() throws Exception {
        List<Example> examples = examples();
        assertThat(examples).as("example configurations in the READMEs").hasSizeGreaterThanOrEqualTo(3);
        Map<String, DocumentedPid> pids = documentedPids();
        for (Example example : examples) {
            DocumentedPid documented = pids.get(example.pid());
            assertThat(documented).as("%s: %s is in README.md's Configuration table", example.fence().where(),
                    example.pid()).isNotNull();
            Map<String, AttributeDefinition> attributes = declared(documented.pid(), documented.factory());
            Map<String, String> properties = properties(example.fence().lines());
            for (String key : properties.keySet()) {
                assertThat(isDeclared(key, attributes, documented.patterns()))
                        .as("%s: %s declares %s", example.fence().where(), example.pid(), key).isTrue();
            }
            String text = String.join("\n", example.fence().lines()) + "\n";
            applied(example, withFilesOfThisMachine(text), properties.keySet(), false, configuration -> {
                await().untilAsserted(() -> assertThat(statesOf(configuration.getPid()))
                        .as("%s: the components of %s", example.fence().where(), configuration.getPid())
                        .isNotEmpty()
                        .allMatch(state -> state == ComponentConfigurationDTO.ACTIVE
                                || state == ComponentConfigurationDTO.SATISFIED));
            });
        }
    }

    @Test
    public void everyConfigurationTheReadmeCallsRefusedIsRefusedWithTheReason() throws Exception {
        int refusals = 0;
        for (Markdown document : documents()) {
            for (Markdown.Paragraph paragraph : document.paragraphs) {
                Matcher refusal = REFUSAL.matcher(paragraph.text().replace('\n', ' '));
                while (refusal.find()) {
                    String sentence = refusal.group();
                    Map<String, String> changes = new LinkedHashMap<>();
                    for (String span : Markdown.codeSpans(refusal.group(1))) {
                        Matcher assignment = ASSIGNMENT.matcher(span);
                        if (assignment.matches()) {
                            changes.put(assignment.group(1), assignment.group(2));
                        }
                    }
                    if (changes.isEmpty()) {
                        continue;
                    }
                    Example example = examples().stream()
                            .filter(e -> e.fence().file().equals(paragraph.file()) && e.fence().line() < paragraph.line())
                            .reduce((first, second) -> second)
                            .orElseThrow(() -> new AssertionError(paragraph.where() + ": no example before \"" + sentence
                                    + "\" to apply it to"));
                    refusals++;
                    String text = changed(example.fence().lines(), changes);
                    // The refused configuration's failure is logged as an error, as it should be.
                    applied(example, text, changes.keySet(), true, configuration -> {
                        await().untilAsserted(() -> {
                            assertThat(statesOf(configuration.getPid())).as("%s: %s", paragraph.where(), sentence)
                                    .containsOnly(ComponentConfigurationDTO.FAILED_ACTIVATION);
                            String status = status();
                            String line = status.lines().filter(l -> l.contains("[" + example.name().orElse("") + "]")
                                    && l.contains(example.pid())).findFirst().orElse("");
                            assertThat(line).as("%s: mailslot:status after %s", paragraph.where(), changes)
                                    .contains("failed");
                            for (String value : changes.values()) {
                                assertThat(line).as("the reason names what was refused").contains(value);
                            }
                        });
                    });
                }
            }
        }
        assertThat(refusals).as("refusals the READMEs describe").isPositive();
    }

    // ---- examples

    /** @return the code blocks the READMEs give as a Mailslot configuration file, with that file's name */
    private static List<Example> examples() {
        Map<String, DocumentedPid> pids = documentedPids();
        List<Example> examples = new ArrayList<>();
        for (Markdown document : documents()) {
            for (Markdown.Fence fence : document.fences) {
                if (!fence.info().isEmpty()) {
                    continue;
                }
                String firstLine = fence.lines().isEmpty() ? "" : fence.lines().get(0);
                Matcher named = CFG_FILE.matcher(firstLine.startsWith("#") ? firstLine : "");
                String file = null;
                if (named.find()) {
                    file = named.group(1);
                } else {
                    Matcher before = CFG_FILE.matcher(fence.paragraphBefore());
                    while (before.find()) {
                        file = before.group(1);
                    }
                }
                if (file == null) {
                    continue;
                }
                String pid = file;
                Optional<String> name = Optional.empty();
                for (String factory : pids.keySet()) {
                    if (pids.get(factory).factory() && file.startsWith(factory + "-")) {
                        pid = factory;
                        name = Optional.of(file.substring(factory.length() + 1));
                    }
                }
                examples.add(new Example(fence, file + ".cfg", pid, name));
            }
        }
        return examples;
    }

    /** @return the example's properties as File Install reads them (a line {@code key = value}, # starts a comment line) */
    private static Map<String, String> properties(List<String> lines) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (String line : lines) {
            String stripped = line.strip();
            if (stripped.isEmpty() || stripped.startsWith("#") || !stripped.contains("=")) {
                continue;
            }
            properties.put(stripped.substring(0, stripped.indexOf('=')).strip(),
                    stripped.substring(stripped.indexOf('=') + 1).strip());
        }
        return properties;
    }

    private static String changed(List<String> lines, Map<String, String> changes) {
        Map<String, String> left = new LinkedHashMap<>(changes);
        List<String> result = new ArrayList<>();
        for (String line : lines) {
            String key = line.contains("=") ? line.substring(0, line.indexOf('=')).strip() : "";
            result.add(left.containsKey(key) ? key + " = " + left.remove(key) : line);
        }
        left.forEach((key, value) -> result.add(key + " = " + value));
        return String.join("\n", result) + "\n";
    }

    /**
     * An example that names files of the operator's machine ({@code /etc/mailslot/tls/privkey.pem})
     * gets files of the same kind here instead: a key for a name with "key" in it, a certificate
     * chain for another {@code .pem}.
     */
    private static String withFilesOfThisMachine(String text) throws IOException {
        Matcher paths = Pattern.compile("(?m)= *(/\\S+\\.pem)$").matcher(text);
        if (!paths.find()) {
            return text;
        }
        Path dir = Files.createTempDirectory(Path.of(System.getProperty("karaf.data")), "readme-files-");
        IssuedCertificate identity = TestCa.create().issueServer("localhost", "127.0.0.1");
        StringBuilder result = new StringBuilder();
        paths.reset();
        while (paths.find()) {
            Path file = dir.resolve(Path.of(paths.group(1)).getFileName());
            if (file.getFileName().toString().contains("key")) {
                identity.writeKeyPem(file);
            } else {
                identity.writeChainPem(file);
            }
            paths.appendReplacement(result, Matcher.quoteReplacement("= " + file));
        }
        paths.appendTail(result);
        return result.toString();
    }

    private interface WhileApplied {
        void run(Configuration configuration) throws Exception;
    }

    /**
     * Writes the text to {@code etc/} as the example's file, waits until Config Admin holds it, runs
     * the check, and puts back what was there before (the file and the configuration). Unless errors
     * are expected, the check also fails if a Mailslot bundle wrote an error to karaf.log meanwhile.
     */
    private void applied(Example example, String text, Set<String> keys, boolean errorsExpected, WhileApplied check)
            throws Exception {
        Path file = Path.of(System.getProperty("karaf.etc"), example.fileName());
        Optional<String> fileBefore = Files.exists(file) ? Optional.of(Files.readString(file)) : Optional.empty();
        Optional<Dictionary<String, Object>> configurationBefore = example.name().isPresent()
                ? Optional.empty() : Optional.ofNullable(configurationOf(example)).map(Configuration::getProperties);
        Path log = Path.of(System.getProperty("karaf.data"), "log", "karaf.log");
        long logBefore = Files.size(log);
        Files.writeString(file, text);
        try {
            Configuration configuration = await().until(() -> configurationOf(example),
                    c -> c != null && c.getProperties() != null
                            && Collections.list(c.getProperties().keys()).containsAll(keys)
                            && keys.stream().allMatch(key -> String.valueOf(c.getProperties().get(key))
                                    .equals(properties(text.lines().toList()).get(key))));
            check.run(configuration);
            assertThat(errorsExpected ? List.of() : mailslotErrorsSince(log, logBefore)).as("%s: errors logged while %s was applied",
                    example.fence().where(), example.fileName()).isEmpty();
        } finally {
            if (fileBefore.isPresent()) {
                Files.writeString(file, fileBefore.get());
            } else {
                Files.deleteIfExists(file);
                await().until(() -> configurationOf(example) == null);
                if (configurationBefore.isPresent()) {
                    Dictionary<String, Object> properties = new Hashtable<>();
                    for (String key : Collections.list(configurationBefore.get().keys())) {
                        if (!key.startsWith("felix.fileinstall.")) {
                            properties.put(key, configurationBefore.get().get(key));
                        }
                    }
                    configurationAdmin.getConfiguration(example.pid(), "?").update(properties);
                }
            }
        }
    }

    private Configuration configurationOf(Example example) throws Exception {
        String filter = example.name().isPresent()
                ? "(&(service.factoryPid=" + example.pid() + ")(felix.fileinstall.filename=*/" + example.fileName() + "))"
                : "(service.pid=" + example.pid() + ")";
        Configuration[] found = configurationAdmin.listConfigurations(filter);
        return found == null ? null : found[0];
    }

    private List<Integer> statesOf(String configurationPid) {
        return mailslotComponents().stream()
                .flatMap(description -> componentRuntime.getComponentConfigurationDTOs(description).stream())
                .filter(dto -> configurationPid.equals(dto.properties.get("service.pid")))
                .map(dto -> dto.state).toList();
    }

    private static List<String> mailslotErrorsSince(Path log, long offset) throws IOException {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return List.of();
            }
            byte[] bytes = new byte[(int) (length - offset)];
            file.seek(offset);
            file.readFully(bytes);
            return new String(bytes, StandardCharsets.UTF_8).lines()
                    .filter(line -> line.contains("| ERROR |") && line.toLowerCase(Locale.ROOT).contains("org.mailslot"))
                    .toList();
        }
    }
}

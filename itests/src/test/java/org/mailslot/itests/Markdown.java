package org.mailslot.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Markdown file read as far as the README contract needs: its tables, its fenced code blocks and
 * the text around them, each with where it is, so that a failure names the line an operator reads.
 */
final class Markdown {

    private static final Pattern CODE_SPAN = Pattern.compile("`([^`]+)`");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");

    /** A table: its header cells and rows of cells, and the text of the file before it (file: as the reader names it). */
    record Table(Path file, int line, List<String> header, List<List<String>> rows, String textBefore) {
        String where() {
            return file + ":" + line;
        }
    }

    /**
     * A fenced code block.
     *
     * @param info what follows the opening fence ({@code sh}, or empty)
     * @param paragraphBefore the paragraph right before the fence (a heading counts)
     * @param textBefore the text of the file before the block
     */
    record Fence(Path file, int line, String info, List<String> lines, String paragraphBefore, String textBefore) {
        String where() {
            return file + ":" + line;
        }
    }

    /** A paragraph of prose (table and code lines are not in it). */
    record Paragraph(Path file, int line, String text) {
        String where() {
            return file + ":" + line;
        }
    }

    /** Where the file is. */
    final Path file;
    /** The file as a reader names it: its path from the project's root. */
    final Path name;
    final List<Table> tables = new ArrayList<>();
    final List<Fence> fences = new ArrayList<>();
    final List<Paragraph> paragraphs = new ArrayList<>();
    /** Every line that is neither in a table nor in a code block. */
    final String prose;

    private Markdown(Path root, Path file, List<String> lines) {
        this.file = file;
        this.name = root.relativize(file);
        StringBuilder text = new StringBuilder();
        StringBuilder paragraph = new StringBuilder();
        String lastParagraph = "";
        int paragraphLine = 0;
        int i = 0;
        while (i < lines.size()) {
            String line = lines.get(i);
            if (line.startsWith("```")) {
                int start = i + 1;
                List<String> body = new ArrayList<>();
                i++;
                while (i < lines.size() && !lines.get(i).startsWith("```")) {
                    body.add(lines.get(i++));
                }
                fences.add(new Fence(name, start, line.substring(3).strip(), List.copyOf(body),
                        paragraph.length() > 0 ? paragraph.toString() : lastParagraph, text.toString()));
                // A paragraph ends at a fence; what it said belongs to this block, not to the next.
                if (paragraph.length() > 0 && !paragraph.toString().startsWith("#")) {
                    paragraphs.add(new Paragraph(name, paragraphLine, paragraph.toString()));
                }
                paragraph.setLength(0);
                lastParagraph = "";
                i++;
            } else if (line.startsWith("|")) {
                int start = i + 1;
                List<String> header = cells(line);
                List<List<String>> rows = new ArrayList<>();
                i += 2; // the header and the |---| line
                while (i < lines.size() && lines.get(i).startsWith("|")) {
                    rows.add(cells(lines.get(i++)));
                }
                tables.add(new Table(name, start, header, List.copyOf(rows), text.toString()));
            } else {
                if (line.isBlank()) {
                    if (paragraph.length() > 0 && !paragraph.toString().startsWith("#")) {
                        paragraphs.add(new Paragraph(name, paragraphLine, paragraph.toString()));
                    }
                    if (paragraph.length() > 0) {
                        lastParagraph = paragraph.toString();
                    }
                    paragraph.setLength(0);
                } else {
                    if (paragraph.length() == 0) {
                        paragraphLine = i + 1;
                    }
                    paragraph.append(line).append('\n');
                }
                text.append(line).append('\n');
                i++;
            }
        }
        if (paragraph.length() > 0) {
            paragraphs.add(new Paragraph(name, paragraphLine, paragraph.toString()));
        }
        this.prose = text.toString();
    }

    /** @param root the project's root, from which the file is named in messages */
    static Markdown read(Path root, Path file) {
        try {
            return new Markdown(root, file, Files.readAllLines(file, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
    }

    /** @return the cells of a table line, split on the bars that are not inside a code span */
    static List<String> cells(String line) {
        List<String> cells = new ArrayList<>();
        StringBuilder cell = new StringBuilder();
        boolean code = false;
        String inner = line.strip();
        inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
        for (char c : inner.toCharArray()) {
            if (c == '`') {
                code = !code;
            }
            if (c == '|' && !code) {
                cells.add(cell.toString().strip());
                cell.setLength(0);
            } else {
                cell.append(c);
            }
        }
        cells.add(cell.toString().strip());
        return cells;
    }

    /** @return the contents of the code spans in the text, in order */
    static List<String> codeSpans(String text) {
        List<String> spans = new ArrayList<>();
        Matcher matcher = CODE_SPAN.matcher(text);
        while (matcher.find()) {
            spans.add(matcher.group(1));
        }
        return spans;
    }

    /** @return the targets of the links in the text, in order */
    static List<String> links(String text) {
        List<String> links = new ArrayList<>();
        Matcher matcher = LINK.matcher(text);
        while (matcher.find()) {
            links.add(matcher.group(1));
        }
        return links;
    }

    /** @return the text without what is in parentheses (nested ones too) */
    static String withoutParentheses(String text) {
        String previous;
        String current = text;
        do {
            previous = current;
            current = current.replaceAll("\\([^()]*\\)", "");
        } while (!current.equals(previous));
        return current;
    }
}

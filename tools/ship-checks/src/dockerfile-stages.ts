import { DockerfileParser, Keyword, ModifiableInstruction } from 'dockerfile-ast';

/** One instruction of a Dockerfile, continuation lines joined. */
export interface DockerfileInstruction {
  /** Upper-case keyword, e.g. `RUN`. */
  readonly keyword: string;
  /** The arguments after the keyword and its flags, line continuations removed. */
  readonly args: string;
  /** The instruction's `--name=value` flags (e.g. `from` of `COPY --from=build`); a bare `--name` maps to ''. */
  readonly flags: Readonly<Record<string, string>>;
  /** 1-based line where the instruction starts. */
  readonly line: number;
}

/** One build stage: its FROM and the instructions up to the next FROM. */
export interface DockerfileStage {
  /** The `AS` name, if any. */
  readonly name?: string;
  /** The image the stage starts from, as written (a registry image or an earlier stage's name). */
  readonly from: string;
  /** 1-based line of the FROM. */
  readonly line: number;
  /** The stage's instructions after its FROM. */
  readonly instructions: readonly DockerfileInstruction[];
}

/** A Dockerfile split into stages, plus the instructions whose keyword Docker does not know. */
export interface ParsedDockerfile {
  /** The stages in order; the last one is the image that gets shipped. */
  readonly stages: readonly DockerfileStage[];
  /** Instructions with a keyword that is not a Dockerfile instruction (typos, stray lines). */
  readonly unknownInstructions: readonly DockerfileInstruction[];
}

const KEYWORDS = new Set<string>(Object.values(Keyword));

/** Parses Dockerfile text (with `dockerfile-ast`, the parser of the Docker language server) into stages. */
export function parseDockerfileStages(text: string): ParsedDockerfile {
  const dockerfile = DockerfileParser.parse(text);
  const stages: { name?: string; from: string; line: number; instructions: DockerfileInstruction[] }[] = [];
  const unknownInstructions: DockerfileInstruction[] = [];
  for (const instruction of dockerfile.getInstructions()) {
    const entry: DockerfileInstruction = {
      keyword: instruction.getKeyword().toUpperCase(),
      args: instruction.getArgumentsContent() ?? '',
      flags: instruction instanceof ModifiableInstruction ? Object.fromEntries(instruction.getFlags().map((flag) => [flag.getName(), flag.getValue() ?? ''])) : {},
      line: instruction.getRange().start.line + 1,
    };
    if (!KEYWORDS.has(entry.keyword)) {
      unknownInstructions.push(entry);
    } else if (entry.keyword === 'FROM') {
      const words = entry.args.split(/\s+/).filter((word) => !word.startsWith('--'));
      const asIndex = words.findIndex((word) => word.toUpperCase() === 'AS');
      stages.push({ from: words[0] ?? '', line: entry.line, instructions: [], ...(asIndex > 0 && words[asIndex + 1] ? { name: words[asIndex + 1] } : {}) });
    } else {
      stages.at(-1)?.instructions.push(entry);
    }
  }
  return { stages, unknownInstructions };
}

package dev.portcullis.operator;

/** Entry point of the operator. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("portcullis operator");
  }
}

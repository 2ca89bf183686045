package dev.portcullis.gateway;

/** Entry point of the gateway. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("portcullis gateway");
  }
}
